Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
0      0              [::1]:60510        [::1]:5555       
