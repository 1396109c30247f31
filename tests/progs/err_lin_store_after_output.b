Output before a linear loop that stores off the tape is delivered
++++++++[>++++++<-]>.<+[<[-]>-]
