print("lakemark")
