+[->+<<+>]

The first target is on the tape and the second is not
