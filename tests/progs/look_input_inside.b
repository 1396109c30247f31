Input inside the loop body reads three times
+++[->,<]>.
