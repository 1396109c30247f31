A clear in a linear loop left of the tape at 32 bits
+[<[-]>-]
