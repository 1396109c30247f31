The loop body steps left of the tape and back without touching
+++[<<>>-]+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
