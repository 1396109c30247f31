the first of two stores to a cell off the tape is its first touch
+++.<+>>+<<[-]
