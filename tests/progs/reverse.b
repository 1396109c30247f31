Prints the input backwards
>,[>,]<[.<]
