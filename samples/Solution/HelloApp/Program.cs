Console.WriteLine($"HelloApp: {Greeter.PythonGreeter.Hello()}");
