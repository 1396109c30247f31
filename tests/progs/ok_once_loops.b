Loops whose END always finds the cell zero run at most once so the JIT
and the C emitter drop their back edge (bf_plan mark_once) and each kind
prints a digit

ends with a clear          ++++[>++<-]> [<+>[-]] < ++++++++++++++++++++++++++++++++++++++++++++++++ .
ends with a linear loop    >> +++ [<++>[>+<-]] < ++++++++++++++++++++++++++++++++++++++++++++++ .
ends with an inner loop    >>>> +++ [>+++[-<+>] <[->+<]] > ++++++++++++++++++++++++++++++++++++++++++++ .
ends with a scan           >>> + >> + > +++ [ <<[<<] ] <<<<< +++++++++++++++++++++++++++++++++++++++++++++++++ .
an IF jumps to the END     >>>>>>>> + [>[-]<[-]] ++++++++++++++++++++++++++++++++++++++++++++++++++ .
an IF jumps to its LOOP  >>>>>>>>>> + > + < [->>+<<] > [ <[-]> [-] ] < ++++++++++++++++++++++++++++++++++++++++++++++++++++ .
