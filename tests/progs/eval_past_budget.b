Compile time evaluation: the budget runs out in the middle of a loop
Print A; then loop past the evaluation budget (two million back edges
weighing some six million ops; every loop stays a loop at every level);
then print B; then touch the cell two left of cell zero

+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
>-[
  >++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++
  [>--[-->+<]<-]
  <-
]
<+.<<+
