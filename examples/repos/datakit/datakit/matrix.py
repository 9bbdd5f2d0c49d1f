"""Lists of lists as matrices."""


def transpose(matrix):
    if not matrix:
        return []
    return [[row[column] for row in matrix] for column in range(len(matrix[0]))]


def multiply(left, right):
    if not left or len(left[0]) != len(right):
        raise ValueError("the matrices do not fit")
    return [[sum(left[i][k] * right[k][j] for k in range(len(right))) for j in range(len(right[0]))] for i in range(len(left))]


def identity(size):
    return [[1 if row == column else 0 for column in range(size)] for row in range(size)]


def trace(matrix):
    return sum(matrix[index][index] for index in range(min(len(matrix), len(matrix[0]) if matrix else 0)))
