a loop on a cell known to be zero but never touched: its touch stays
+.<[.]
