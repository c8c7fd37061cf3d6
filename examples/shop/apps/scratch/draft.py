"""A half-written module: carve reports it and checks everything else."""


def discount(order
    return 0
