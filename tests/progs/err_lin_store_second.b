The first store is on the tape and the second is not
>+[<[-]<[-]>>-]
