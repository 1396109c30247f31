a clear of a cell known to be zero but never touched
+.<[-][-]
