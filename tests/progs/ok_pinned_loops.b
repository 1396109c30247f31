Cells kept in registers across balanced loops with branches in them (the JIT
pins them): an outer loop of twelve runs an inner one 1 then 2 then 3 times
and so on; each inner iteration adds two to c5 through a nested linear loop
(an IF in the code) so c5 ends at 2 times 78 = 156; c1 ends at 12
++++++++++++[>+[>+>+<<-]>>[<<+>>-]<[>>++[->+<]<<-]<<-]
>>>>>.<<<<.
Then a loop that counts c5 down by threes adds two to c6 each time through
an IF on c7: 52 times two is 104
>>>>[--->+>+[-<+>]<<]>.
