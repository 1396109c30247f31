an IF on a known constant runs its body as straight code
five times an odd step of three: eighty seven times around at eight bits
+++++[--->+<]>.
the same in a loop: the inner count is known each time
<+++[>>[-]+++[->++++<]>.<<<-]
