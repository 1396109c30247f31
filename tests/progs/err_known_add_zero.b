an add of zero on a cell off the tape
+.<+-
