Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
0      0              [::1]:56670        [::1]:5555       
