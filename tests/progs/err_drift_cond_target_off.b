>>>>>+>++>+[>[-<<<<<<<+>>>>>>>]<-<]++++++++[<++++++>-]<.

Like ok_drift_cond_target_off but the conditional move runs at cell 5 and touches
cell minus one
