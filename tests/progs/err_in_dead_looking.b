+[-]<[+]

Not dead because the pointer moved so the bracket touches cell minus one
