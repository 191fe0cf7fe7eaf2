Console.WriteLine($"ShoutApp: {Greeter.PythonGreeter.Hello()}");
