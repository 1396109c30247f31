+[>+]

Walks right until it passes the tape limit
