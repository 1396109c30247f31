Output inside the loop body prints each step
+++++>++++++++++++++++++++++++++++++++++++++++++++++++<[->+.<]
