Console.WriteLine("moodgrains");
