a loop that ends each iteration where it began leaves the cells it
never stores to as they were: cell one is still three
,>+++<[.,]>.
one that stores to cell one: three more for each byte read
<,[>+++<.,]>.
one that drifts: the cells it passes hold what it read
<,[>,]<.
nested loops: what the inner ones store to the outer one stores to
<>>>+<<<,[[.,]>+<,]>.>>.
