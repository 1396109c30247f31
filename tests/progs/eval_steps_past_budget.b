Compile time evaluation and the step limit: print A; loop well past the
evaluation budget (as in eval_past_budget); the limit of one and a half
million iterations comes after the budget; B is never printed

+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
>-[
  >++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++
  [>--[-->+<]<-]
  <-
]
<+.
