Cat relying on end of input reading minus one
,+[-.,+]
