using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Scenarios.Tests.Catalog;

public class SplitwisePerfCsvTests
{
    [Fact]
    public void TakesMediansOfRepeats()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                model,hardware,prompt_size,batch_size,token_size,peak_power,average_power,prompt_time,token_time,e2e_time,tensor_parallel
                m,h,512,1,128,0,0,10,1,0,8
                m,h,512,1,128,0,0,30,3,0,8
                m,h,512,1,128,0,0,20,2,0,8
                m,h,512,2,128,0,0,25,2.5,0,8
                m,other,512,1,128,0,0,99,99,0,8
                """);
            var p = SplitwisePerfCsv.Read(path, "m", "h", 8, "A");
            Assert.Equal([512.0, 1024.0], p.PrefillTokens);
            Assert.Equal([0.02, 0.025], p.PrefillS);
            Assert.Equal([1.0, 2.0], p.DecodeBatch);
            Assert.Equal([0.002, 0.0025], p.DecodeBatchS);
            Assert.Throws<InvalidDataException>(() => SplitwisePerfCsv.Read(path, "m", "h", 4, "A"));
            File.AppendAllText(path, "\nm,h,512,x,128,0,0,1,1,0,8\n");
            var e = Assert.Throws<InvalidDataException>(() => SplitwisePerfCsv.Read(path, "m", "h", 8, "A"));
            Assert.Contains(":7: batch_size", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
