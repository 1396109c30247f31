Code memory limit of one byte so no region fits (code counts in whole pages):
every compile fails and every mode interprets
++++++++[>++++++++<-]>+>++++++++++[<.+>-]++++++++++.
