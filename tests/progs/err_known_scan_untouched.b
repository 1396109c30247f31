a scan on a cell known to be zero but left of the tape
+.<<[<]
