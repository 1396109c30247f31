Cat relying on end of input reading zero
,[.,]
