No input at all and the default mode keeps the cell so it prints two capital A
+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++,.,.
