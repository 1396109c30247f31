The step limit stops a run inside a loop whose cells live in registers (its
count is read so nothing folds it): the limit exit stores them before the
interpreter takes over and reports it
,[>+[>+>+<<-]>>[<<+>>-]<[>>++[->+<]<<-]<<-]>>>>>.
