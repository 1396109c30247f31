A loop after a loop and a move does run and prints N
>+++++<+[-]>[->++++++++++++<]>++++++++++++++++++.
