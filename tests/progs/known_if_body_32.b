an IF on a known constant runs its body as straight code
six times an odd step of three: twice around at every width
++++++[--->+++++<]>.
the same in a loop: the inner count is known each time
<+++[>>[-]+++[->++++<]>.<<<-]
