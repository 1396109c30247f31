A move loop whose target is left of the tape never runs because its counter is zero
+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++>[-<<+>>]<.
