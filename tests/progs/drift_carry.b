Drifting loops that pass a value on to the next iteration's cell
(the JIT carries it in a register across the back edge)

Moving right: c(1) gains c(0) and c(2) gains one each time; c(2)
is the cell the register of c(1) is refilled from
,[[->+<]>>+<]
.>.>.>.<<<
Moving left: each cell gains three times its right neighbour
>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>
+++>++>+>+++++>++<
[>[-<+++>]<<]
>.>.>.>.>.
