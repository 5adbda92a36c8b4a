Recv-Q Send-Q Local Address:Port Peer Address:Port Process
0      0          127.0.0.1:5555    127.0.0.1:44668       
