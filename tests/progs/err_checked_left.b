The same loops at cell 0; in the third round the input is not zero and the
inner loop's body runs; its first touch is of cell minus one: the error
is there; after the digits the first two rounds printed; whichever version
of the code ran

,[<+>-]
>>+++[
  <<,[<+>-]>>
  <+++++++++++++++++++++++++++++++++++++++++++++++++.------------------------------------------------>-
]
