"""Common forenames and surnames, so the zero-result log can leave out a person's name typed as words.

Folded to lower-case ASCII letters. Taken from the person-name lists of the Faker package
(MIT licence; its British list is drawn from the Office for National Statistics' baby names and
its American one from the US Census), British and American lists together. A name that is also a
word of the field ("hope", "grace", "green") is still dropped unless the directory's vocabulary
uses it: the log loses a little signal rather than keep a name.
"""

FORENAMES = frozenset("""
aaron abbie abdul abigail adam adrian adriana adrienne aimee alan albert alec alejandra alejandro
alex alexa alexander alexandra alexandria alexis alfred alice alicia alisha alison allan allen
allison alvin alyssa amanda amber amelia amy ana andre andrea andres andrew angel angela angelica
angie anita ann anna anne annette anthony antonio antony april ariana ariel arthur ashlee ashleigh
ashley audrey austin autumn bailey barbara barry becky belinda ben benjamin bernard beth bethan
bethany betty beverley beverly bianca bill billy blake bob bobby bonnie brad bradley brady brandi
brandon brandy breanna brenda brendan brent brett brian briana brianna bridget brittany brittney
brooke bruce bryan bryce caitlin caitlyn caleb callum calvin cameron candace candice carl carla
carlos carly carmen carol carole caroline carolyn carrie casey cassandra cassidy cassie catherine
cathy cesar chad charlene charles charlie charlotte chase chelsea chelsey cheryl cheyenne chloe
chris christian christie christina christine christopher christy cindy claire clare clarence claudia
clayton clifford clinton clive cody cole colin colleen collin colton connie connor conor corey cory
courtney craig cristian cristina crystal curtis cynthia daisy dakota dale dalton damian damien damon
dan dana daniel danielle danny darin darius darlene darrell darren darryl daryl dave david dawn dean
deanna debbie deborah debra declan denis denise dennis derek derrick desiree destiny devin devon
diamond diana diane dillon dominic dominique don donald donna doris dorothy douglas drew duane
duncan dustin dwayne dylan earl ebony eddie edgar eduardo edward edwin eileen elaine eleanor elijah
elizabeth ellen ellie elliot elliott emily emma eric erica erik erika erin ernest ethan eugene evan
evelyn faith felicia fernando fiona frances francesca francis francisco frank franklin fred
frederick gabriel gabriela gabriella gabrielle gail gareth garrett garry gary gavin gemma gene
geoffrey george georgia georgina gerald geraldine gerard gilbert gillian gina glen glenda glenn
gloria gordon grace graeme graham grant greg gregg gregory guy gwendolyn hailey haley hannah harold
harriet harry hayden hayley hazel heather hector heidi helen henry herbert hilary hollie holly
howard hugh hunter iain ian irene isaac isabel isabella isaiah ivan jack jackie jackson jaclyn jacob
jacqueline jade jaime jake james jamie jane janet janice jared jasmin jasmine jason javier jay jayne
jean jeanette jeanne jeff jeffery jeffrey jemma jenna jennifer jenny jeremiah jeremy jermaine jerome
jerry jesse jessica jesus jill jillian jim jimmy jo joan joann joanna joanne jocelyn jodi jodie jody
joe joel john johnathan johnny jon jonathan jonathon jordan jorge jose joseph josephine josh joshua
joy joyce juan judith judy julia julian julie june justin kaitlin kaitlyn kara karen kari karina
karl karla kate katelyn katherine kathleen kathryn kathy katie katrina katy kayla kaylee kayleigh
keith kelli kellie kelly kelsey kendra kenneth kent kerri kerry kevin kiara kieran kim kimberley
kimberly kirk kirsten kirsty krista kristen kristi kristie kristin kristina kristine kristopher
kristy krystal kurt kyle kylie lacey lance larry latasha latoya laura lauren laurie lawrence leah
leanne lee leigh leon leonard leroy lesley leslie levi lewis liam linda lindsay lindsey lisa logan
lonnie loretta lori lorraine louis louise lucas lucy luis luke lydia lynda lynn lynne mackenzie
madeline madison makayla malcolm malik mallory mandy manuel marc marcia marco marcus margaret maria
mariah marian marie marilyn mario marion marisa marissa mark martha martin martyn marvin mary mason
mathew matthew maureen maurice max maxwell mckenzie meagan megan meghan melanie melinda melissa
melody melvin mercedes meredith mia michael michaela micheal michele michelle miguel mikayla mike
mindy miranda misty mitchell mohamed mohammad mohammed molly monica monique morgan nancy naomi
natalie natasha nathan nathaniel neil nicholas nichole nicola nicolas nicole nigel nina noah norma
norman oliver olivia omar oscar owen paige pam pamela parker patricia patrick patty paul paula
pauline pedro peggy penny perry peter philip phillip phyllis preston priscilla rachael rachel ralph
randall randy raven ray raymond rebecca rebekah reece regina reginald renee rhonda rhys ricardo
richard rick rickey ricky riley rita robert roberta roberto robin robyn rodney roger ronald ronnie
rose rosemary rosie ross roy ruben russell ruth ryan sabrina sally sam samantha samuel sandra sandy
sara sarah savannah scott sean selena sergio seth shane shannon shari sharon shaun shawn shawna
sheena sheila shelby shelia shelley shelly sheri sherri sherry sheryl shirley sian sierra simon
sonia sonya sophia sophie spencer stacey stacie stacy stanley stefanie stephanie stephen steve
steven stewart stuart sue summer susan suzanne sydney sylvia tabitha tamara tami tammie tammy tanner
tanya tara tasha taylor terence teresa terrance terrence terri terry theodore theresa thomas tiffany
tim timothy tina toby todd tom tommy toni tony tonya tracey traci tracie tracy travis trevor tricia
tristan troy tyler tyrone valerie vanessa vernon veronica vicki vickie victor victoria vincent
virginia walter wanda warren wayne wendy wesley whitney william willie wyatt xavier yesenia yolanda
yvette yvonne zachary zoe
""".split())

SURNAMES = frozenset("""
abbott acevedo acosta adams adkins aguilar aguirre ahmed akhtar alexander ali allan allen allison
alvarado alvarez andersen anderson andrade andrews anthony archer arellano arias armstrong arnold
arroyo ashley ashton atkins atkinson austin avery avila ayala ayers bailey baird baker baldwin ball
ballard banks barajas barber barker barlow barnes barnett barr barrera barrett barron barry bartlett
barton bass bates bauer bautista baxter bean beard beasley beck becker begum bell beltran bender
benitez benjamin bennett benson bentley benton berg berger bernard berry best bevan bibi birch bird
bishop black blackburn blackwell blair blake blanchard blankenship blevins bolton bond bonilla
booker boone booth bowen bowers bowman boyd boyer boyle bradford bradley bradshaw brady branch
brandt braun bray brennan brewer bridges briggs bright brock brookes brooks brown browne browning
bruce bryan bryant buchanan buck buckley bull bullock burch burgess burke burnett burns burrows
burton bush butcher butler byrd byrne cabrera cain calderon caldwell calhoun callahan camacho
cameron campbell campos cannon cantrell cantu cardenas carey carlson carney carpenter carr carrillo
carroll carson carter cartwright case casey castaneda castillo castro cervantes chadwick chamberlain
chambers chan chandler chaney chang chapman charles charlton chase chavez chen cherry choi
christensen christian chung church cisneros clark clarke clay clayton clements cline coates cobb
cochran coffey cohen cole coleman coles collier collins colon combs compton conley conner connolly
connor conrad contreras conway cook cooke cooley cooper copeland cordova cortez costa cowan cox
craig crane crawford crosby cross cruz cuevas cummings cunningham curry curtis dale dalton daly
daniel daniels daugherty davenport davey david davidson davies davila davis davison dawson day dean
decker delacruz deleon delgado dennis diaz dickerson dickinson dickson dillon dixon dobson dodd
dodson doherty dominguez donaldson donnelly donovan dorsey dougherty douglas downs doyle drake
duarte dudley duffy duke duncan dunlap dunn duran durham dyer eaton edwards elliott ellis ellison
english erickson escobar esparza espinoza estes estrada evans everett ewing farley farmer farrell
faulkner ferguson fernandez ferrell field fields figueroa finch finley fischer fisher fitzgerald
fitzpatrick fleming fletcher flores flowers floyd flynn foley forbes ford forster foster fowler fox
francis franco frank franklin fraser frazier frederick freeman french frey friedman fritz frost fry
frye fuentes fuller gaines gallagher gallegos galloway galvan gamble garcia gardiner gardner garner
garrett garrison garza gates gay gentry george gibbons gibbs gibson gilbert giles gill gillespie
gilmore glass glenn glover goddard godfrey golden gomez gonzales gonzalez good goodman goodwin
gordon gough gould graham grant graves gray green greene greenwood greer gregory griffin griffith
griffiths grimes gross guerra guerrero gutierrez guzman haas hahn hale haley hall hamilton hammond
hampton hancock haney hanna hansen hanson hardin harding hardy hargreaves harmon harper harrell
harrington harris harrison hart hartley hartman harvey hatfield hawkins hayden hayes haynes hays
hayward heath hebert henderson hendricks hendrix henry hensley henson herbert herman hernandez
herrera herring hess hester hewitt hickman hicks higgins hill hilton hines hinton ho hobbs hodge
hodges hodgson hoffman hogan holden holder holland holloway holmes holt hood hooper hoover hope
hopkins horn horne horton houghton house houston howard howarth howe howell howells huang hubbard
huber hudson huerta huff huffman hughes hull humphrey humphreys humphries hunt hunter hurley hurst
hussain hutchinson huynh hyde ibarra ingram iqbal irwin jackson jacobs jacobson james jarvis
jefferson jenkins jennings jensen jimenez john johns johnson johnston jones jordan joseph joyce
juarez kaiser kane kaufman kaur kay keith keller kelley kelly kemp kennedy kent kerr key khan kidd
kim king kirby kirk klein kline knapp knight knowles knox koch kramer krause krueger lam lamb
lambert landry lane lang lara larsen larson law lawrence lawson le leach leblanc lee lees leon
leonard lester levine levy lewis li lin lindsey little liu livingston lloyd logan long lopez lord
love lowe lowery lozano lucas lucero luna lutz lynch lynn lyons macdonald macias mack madden maddox
mahmood mahoney maldonado malone mann manning marks marquez marsden marsh marshall martin martinez
mason massey mata mathews mathis matthews maxwell may mayer maynard mayo mays mcbride mccall mccann
mccarthy mccarty mcclain mcclure mcconnell mccormick mccoy mccullough mcdaniel mcdonald mcdowell
mcfarland mcgee mcgrath mcguire mcintosh mcintyre mckay mckee mckenzie mckinney mcknight mclaughlin
mclean mcmahon mcmillan mcneil mcpherson meadows medina mejia melendez mellor melton mendez mendoza
mercado mercer merritt metcalfe meyer meyers meza miah michael middleton miles miller mills miranda
mistry mitchell molina monroe montes montgomery montoya moody moon mooney moore mora morales moran
moreno morgan morley morris morrison morrow morse morton moses mosley moss moyer mueller mullen
mullins munoz murillo murphy murray myers nash navarro naylor neal nelson newman newton nguyen
nicholls nichols nicholson nielsen nixon noble nolan norman norris north norton novak nunez obrien
ochoa oconnell oconnor odom odonnell oliver olsen olson oneal oneill orozco orr ortega ortiz osborn
osborne owen owens pace pacheco padilla page palmer park parker parkes parkin parkinson parks
parrish parry parsons patel patrick patterson patton paul payne peacock pearce pearson peck pena
pennington perez perkins perry peters petersen peterson petty pham phelps phillips pickering pierce
pineda pittman pitts pollard ponce poole pope porter potter potts powell power powers pratt preston
price prince pritchard proctor pruitt pugh quinn rahman ramirez ramos ramsey randall randolph rangel
rasmussen ray raymond read reed rees reese reeves reid reilly reyes reynolds rhodes rice rich
richard richards richardson richmond riddle riggs riley rios ritter rivas rivera rivers roach
robbins roberson roberts robertson robinson robles robson rocha rodgers rodriguez rogers rojas
rollins roman romero rosales rosario rose ross roth rowe rowland rowley roy rubio ruiz rush russell
russo ryan salas salazar salinas sampson sanchez sanders sanderson sandoval sanford santana santiago
santos saunders savage sawyer schaefer schmidt schmitt schneider schofield schroeder schultz
schwartz scott sellers serrano sexton shaffer shah shannon sharp sharpe shaw shea shelton shepard
shepherd sheppard sherman shields short silva simmons simon simpson sims sinclair singh singleton
skinner slater sloan small smart smith snow snyder solis solomon sosa soto sparks spears spence
spencer stafford stanley stanton stark steele stein stephens stephenson stevens stevenson stewart
stokes stone storey stout strickland strong stuart suarez sullivan summers sutton swanson sweeney
swift sykes talbot tanner tapia tate taylor terrell terry thomas thompson thomson thornton thorpe
todd tomlinson torres townsend tran travis trevino trujillo tucker turnbull turner tyler underwood
valdez valencia valentine valenzuela vance vang vargas vasquez vaughan vaughn vazquez vega velasquez
velazquez velez villa villanueva villarreal villegas vincent wade wagner walker wall wallace waller
wallis walls walsh walter walters walton wang ward ware warner warren washington waters watkins
watson watts weaver webb weber webster weeks weiss welch wells werner west weston wheeler whitaker
white whitehead whitehouse whitney whittaker wiggins wilcox wiley wilkerson wilkins wilkinson
williams williamson willis wilson winter winters wise wolf wolfe wong wood woodard woods woodward
wright wu wyatt yang yates yoder york young yu zamora zavala zhang zimmerman zuniga
""".split())
