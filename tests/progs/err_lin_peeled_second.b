The inner loop runs from the second iteration on and touches left of the tape then
>++[>[-<<<+>>>]+<-]
