An inner loop with a known count touches left of the tape
>+[<[-]+++[-<+>]>-]
