Hoisted range checks that fail on a correct program: the loop at cell 0
tests a cell that stays zero (the input is empty) so its body never runs
and never touches cell minus one; but the check hoisted before it covers
that cell and fails; so does the check before the outer loop on entry
from the interpreter; and the run goes on in the checked versions
compiled then; with no side exit

,[<+>-]
>>+++[
  <<,[<+>-]>>
  <+>-
]
<++++++++++++++++++++++++++++++++++++++++++++++++.
