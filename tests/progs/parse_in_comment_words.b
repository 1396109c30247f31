a loop [ that closes ] then a stray ] here
