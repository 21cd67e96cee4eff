/** Real US city / state / ZIP combinations (a ZIP code of the city's downtown). */
export interface Place {
  city: string;
  state: string;
  zip: string;
}

const RAW = `New York,NY,10001;Los Angeles,CA,90012;Chicago,IL,60601;Houston,TX,77002;Phoenix,AZ,85004;
Philadelphia,PA,19103;San Antonio,TX,78205;San Diego,CA,92101;Dallas,TX,75201;San Jose,CA,95113;
Austin,TX,78701;Jacksonville,FL,32202;Fort Worth,TX,76102;Columbus,OH,43215;Charlotte,NC,28202;
San Francisco,CA,94102;Indianapolis,IN,46204;Seattle,WA,98101;Denver,CO,80202;Washington,DC,20001;
Boston,MA,02108;Nashville,TN,37203;Detroit,MI,48226;Portland,OR,97205;Las Vegas,NV,89101;
Memphis,TN,38103;Louisville,KY,40202;Baltimore,MD,21202;Milwaukee,WI,53202;Albuquerque,NM,87102;
Tucson,AZ,85701;Fresno,CA,93721;Sacramento,CA,95814;Kansas City,MO,64106;Atlanta,GA,30303;
Miami,FL,33130;Raleigh,NC,27601;Omaha,NE,68102;Minneapolis,MN,55401;Tulsa,OK,74103;
Cleveland,OH,44113;New Orleans,LA,70112;Tampa,FL,33602;Pittsburgh,PA,15222;Cincinnati,OH,45202;
St. Louis,MO,63101;Orlando,FL,32801;Salt Lake City,UT,84111;Honolulu,HI,96813;Anchorage,AK,99501;
Boise,ID,83702;Madison,WI,53703;Burlington,VT,05401;Portland,ME,04101;Providence,RI,02903;
Richmond,VA,23219;Charleston,SC,29401;Birmingham,AL,35203;Little Rock,AR,72201;Des Moines,IA,50309;
Billings,MT,59101;Fargo,ND,58102;Sioux Falls,SD,57104;Cheyenne,WY,82001;Hartford,CT,06103;
Newark,NJ,07102;Wilmington,DE,19801;Jackson,MS,39201;Oklahoma City,OK,73102;Spokane,WA,99201;
Ann Arbor,MI,48104;Boulder,CO,80302;Manchester,NH,03101;Wichita,KS,67202;Reno,NV,89501`;

export const US_PLACES: readonly Place[] = RAW.split(';').map((entry) => {
  const [city, state, zip] = entry.trim().split(',');
  return { city, state, zip };
});
