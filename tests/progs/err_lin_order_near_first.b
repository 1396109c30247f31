Two cells off the tape: the nearer is touched first
+[<[-]<+>>-]
