An OSR entry that goes on in a checked version: evaluation stops at the
first read; inside the inner loop; so a whole program run resumes there
interpreted and enters the compiled code at the inner loop's next back
edge; through its entry stub; whose check covers cell minus one (the loop
at cell 0 would touch it) and fails near the tape's start; the checked
version of the segment is compiled then and entered at that loop head

>++[
  <[<+>-]>
  >++[->,<]<
  -
]
>>.
