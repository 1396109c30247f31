hello world in Brainfuck: the first program the README runs
(comments avoid the eight command characters)

cells 1 to 3 become 72 ("H") and 104 and 32 (space) in one multiply loop
++++++++[>+++++++++>+++++++++++++>++++<<<-]
>.                      H
>---.                   e (101)
+++++++..               l l (108)
+++.                    o (111)
>.                      space
<<+++++++++++++++.      W (87)
>.                      o
+++.                    r (114)
------.                 l
--------.               d (100)
>+.                     ! (33)
>++++++++++.            newline
