The same loop run once: its inner loop never runs
>+[>[-<<<+>>>]+<-]>++++++++++++++++++++++++++++++++++++++++++++++++.
