Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
0      0          127.0.0.1:44806    127.0.0.1:5555       
