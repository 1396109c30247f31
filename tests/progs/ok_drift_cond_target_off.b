++++++++++[>++++++++++[>>>>+>+>+[>[-<<<<<<<+>>>>>>>]<-<]<<<-]<-]++++++++[>++++++<-]>.

A drifting loop walks from cell 7 down to cell 4 one hundred times; its body holds a
conditional move from the next cell to seven cells left that never runs: at cell 5 that
target would be cell minus one
