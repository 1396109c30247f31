>++++++++++[>++++++++++<-]>[<<[<<[-]>>-]>>-]<++++++++[<++++++>-]<.

A loop that runs one hundred times holds a balanced loop on cell 0 that would clear
cell minus two but never runs because cell 0 is zero
