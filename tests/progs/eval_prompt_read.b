Compile time evaluation stops at the first read: a prompt made by a loop
(ten by twos; an even step stays a loop) is written before the read; then
the input is echoed up to its end

++++++++++[>+++++++++++++<--]>--.
,[.,]
