Scans by three over marked cells near the tape's left end: the JIT checks
four steps at once and steps alone once fewer than four are left
>>>+>>>+>>>+[<<<]++++++++++++++++++++++++++++++++++++++++++++++++.
