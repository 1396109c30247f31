adds to known cells are stores and stores fold
,[.,]+++.>++<[-]>.
dead stores in a loop body: the first keeps its place
,[>+>+<[-]<.>>.<<,]
a store of what the cell holds goes
,[-][-].
